/**
 * The part of Grafana's dashboard JSON model the platform's dashboards (dashboards.ts) use, and
 * how their panels are laid out.
 */

/** One panel's query. */
export interface PanelQuery {
    expr: string;
    legendFormat: string;
}

/** A time-series panel of Grafana's dashboard model. */
export interface Panel {
    id: number;
    type: "timeseries" | "text";
    title: string;
    gridPos: { x: number; y: number; w: number; h: number };
    datasource?: { type: "prometheus"; uid: string };
    targets?: (PanelQuery & { refId: string; datasource: { type: "prometheus"; uid: string } })[];
    fieldConfig?: { defaults: { unit: string }; overrides: [] };
    options?: { content: string; mode: "markdown" };
}

/** Grafana's dashboard JSON model (the fields this program sets). */
export interface Dashboard {
    uid: string;
    title: string;
    tags: string[];
    timezone: "browser";
    schemaVersion: number;
    refresh: string;
    time: { from: string; to: string };
    panels: Panel[];
}

/** The data source the grafana add-on provisions. */
const DATASOURCE = { type: "prometheus", uid: "prometheus" } as const;
/** Dashboard schema version of Grafana 13's JSON model. */
const SCHEMA_VERSION = 41;

/** A time-series panel before layout: its title, unit and queries. */
export interface PanelSpec {
    title: string;
    unit: string;
    queries: PanelQuery[];
}

/** Panels laid out two per row. */
export function layout(specs: (PanelSpec | { title: string; text: string })[]): Panel[] {
    return specs.map((spec, i) => {
        const gridPos = { x: (i % 2) * 12, y: Math.floor(i / 2) * 8, w: 12, h: 8 };
        if ("text" in spec) {
            return {
                id: i + 1,
                type: "text",
                title: spec.title,
                gridPos,
                options: { content: spec.text, mode: "markdown" },
            };
        }
        return {
            id: i + 1,
            type: "timeseries",
            title: spec.title,
            gridPos,
            datasource: DATASOURCE,
            targets: spec.queries.map((q, j) => ({
                ...q,
                refId: String.fromCharCode(65 + j),
                datasource: DATASOURCE,
            })),
            fieldConfig: { defaults: { unit: spec.unit }, overrides: [] },
        };
    });
}

/** A dashboard of the platform (tagged tacos) with its panels. */
export function dashboard(uid: string, title: string, tags: string[], panels: Panel[]): Dashboard {
    return {
        uid,
        title,
        tags: ["tacos", ...tags],
        timezone: "browser",
        schemaVersion: SCHEMA_VERSION,
        refresh: "30s",
        time: { from: "now-6h", to: "now" },
        panels,
    };
}

/** Every query of a dashboard, with its panel's title. */
export function dashboardQueries(d: Dashboard): { panel: string; expr: string }[] {
    return d.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })));
}
