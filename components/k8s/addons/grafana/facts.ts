/** What the grafana add-on reads from the other layers: the dashboards it provisions. */
import { stackFact } from "../addon";

/** Grafana's dashboards by file name, from the apps layer; none when not given. */
export const DASHBOARDS = stackFact<Record<string, object>>("dashboards", "Grafana's dashboards");
