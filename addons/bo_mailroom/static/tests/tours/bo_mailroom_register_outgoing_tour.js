import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("bo_mailroom_register_outgoing_tour", {
    steps: () => [
        {
            content: "Register outgoing correspondence from the chatter",
            trigger: ".o-bo-Chatter-registerOutgoing",
            run: "click",
        },
        {
            content: "The recipient is the document's contact",
            trigger: ".modal .o_field_widget[name='partner_id'] input:value('Ferramenta Chatter')",
        },
        {
            content: "Give the subject",
            trigger: ".modal .o_field_widget[name='subject'] input",
            run: "edit Offerta registrata dal chatter",
        },
        {
            content: "Register it",
            trigger: ".modal button[name='action_confirm']",
            run: "click",
        },
        {
            content: "The registered entry opens with its protocol number",
            trigger: ".o_form_view .o_field_widget[name='name']:contains('/')",
        },
    ],
});
