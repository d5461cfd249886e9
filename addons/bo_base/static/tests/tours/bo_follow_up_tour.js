import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("bo_follow_up_tour", {
    steps: () => [
        {
            content: "Only my own follow-ups are listed",
            trigger:
                ".o_list_view:not(:has(.o_data_row:contains('Reply to the tax office')))",
        },
        {
            content: "Open the document of my escalated follow-up",
            trigger: ".o_data_row:contains('Call back about the late order') td[name='res_name']",
            run: "click",
        },
        {
            content: "The document behind the follow-up is shown",
            trigger: ".o_form_view .o_breadcrumb:contains('Ferramenta Tour S.r.l.')",
        },
    ],
});
