import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("bo_mailroom_views_tour", {
    steps: () => [
        {
            content: "The register lists the entries",
            trigger: ".o_list_view .o_data_row:contains('Giro views tour')",
        },
        {
            content: "Switch to the kanban by state",
            trigger: ".o_switch_view.o_kanban",
            run: "click",
        },
        {
            content: "The entry sits in its state's column",
            trigger: ".o_kanban_group:contains('Registered') .o_kanban_record:contains('Giro views tour')",
        },
        {
            content: "Switch to the calendar of reply deadlines",
            trigger: ".o_switch_view.o_calendar",
            run: "click",
        },
        {
            trigger: ".o_calendar_view",
        },
        {
            content: "Switch to the pivot",
            trigger: ".o_switch_view.o_pivot",
            run: "click",
        },
        {
            trigger: ".o_pivot_view .o_pivot",
        },
        {
            content: "Switch to the graph",
            trigger: ".o_switch_view.o_graph",
            run: "click",
        },
        {
            trigger: ".o_graph_view .o_graph_renderer",
        },
    ],
});
