import { onWillStart } from "@odoo/owl";
import { Chatter } from "@mail/chatter/web_portal/chatter";
import { user } from "@web/core/user";
import { useService } from "@web/core/utils/hooks";
import { patch } from "@web/core/utils/patch";

/** A "Register" button in every chatter: register outgoing correspondence for the record. */
patch(Chatter.prototype, {
    setup() {
        super.setup();
        this.boAction = useService("action");
        this.boMailroom = { canRegister: false };
        onWillStart(async () => {
            this.boMailroom.canRegister = await user.hasGroup("bo_base.group_bo_user");
        });
    },

    async onClickBoRegisterOutgoing() {
        const thread = this.state.thread;
        const action = await this.orm.call(
            "bo.mail.register.outgoing",
            "action_open_for_document",
            [thread.model, thread.id]
        );
        await this.boAction.doAction(action, {
            onClose: () => this.load(thread, ["messages"]),
        });
    },
});
