/**
 * npm run rightsize on a recorded `kubectl get vpa -n tacos -o json` (test/fixtures/vpa-tacos.json,
 * VPA 1.7.1's shape: targets in millicores, bytes, `Mi` and `k`): today's requests against the
 * recommendation, the stack-file change, which the program then delivers, and the cost difference
 * at the plan's prices.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { CATALOGUE } from "../components/apps/catalogue";
import { usePlans } from "./plans";
import { serviceValuesOf } from "./stacks";
import {
    formatRightsize,
    readVpaList,
    rightsize,
    RightsizeReport,
    roundCpu,
    roundMemory,
} from "../tools/rightsize";
import { REPO_ROOT, runProgram } from "../tools/harness";

const FIXTURE = path.join(REPO_ROOT, "test", "fixtures", "vpa-tacos.json");

describe("rightsize", () => {
    const plans = usePlans();
    let report: RightsizeReport;
    before(async function () {
        this.timeout(120000);
        report = await rightsize("prod", readVpaList(FIXTURE));
    });

    it("rounds the VPA's quantities up to 10m CPU and whole MiB, in every form VPA prints them", () => {
        assert.deepStrictEqual(["412m", "1", "0.0251"].map(roundCpu), ["420m", "1000m", "30m"]);
        assert.deepStrictEqual(["297164800", "850Mi", "262144k", "1Gi"].map(roundMemory), [
            "284Mi",
            "850Mi",
            "250Mi",
            "1024Mi",
        ]);
    });

    it("sets today's delivered requests against each recommendation, and says why a service has none", () => {
        const line = (s: string) => report.lines.find((l) => l.service === s)!;
        assert.deepStrictEqual(line("gateway-api").current, CATALOGUE["gateway-api"].resources.requests);
        assert.deepStrictEqual(line("gateway-api").recommended, { cpu: "420m", memory: "284Mi" });
        assert.deepStrictEqual(line("inventory-api").recommended, { cpu: "100m", memory: "250Mi" });
        assert.strictEqual(line("reservation-worker").recommended, undefined);
        assert.match(line("reservation-worker").why!, /no recommendation yet/);
    });

    it("prices the change at the plan's figures: today's cost is the plan's, smaller requests cost less", async function () {
        this.timeout(120000);
        const plan = plans.prod.report;
        const gateway = report.lines.find((l) => l.service === "gateway-api")!;
        assert.ok(
            Math.abs(gateway.monthly!.current.max - plan.cost.byService["gateway-api"].max) < 0.01,
            "today's figure is the plan's",
        );
        assert.ok(
            gateway.monthly!.recommended.max < gateway.monthly!.current.max,
            "fewer requests, lower bill",
        );
        const reservation = report.lines.find((l) => l.service === "reservation-api")!;
        assert.ok(
            reservation.monthly!.recommended.max > reservation.monthly!.current.max,
            "more memory, higher bill",
        );
        assert.match(
            formatRightsize(report),
            /gateway-api\s+700m \/ 512Mi\s+420m \/ 284Mi\s+-\$\d+ \(min\), -\$\d+ \(max\)/,
        );
    });

    it("prints a stack-file change the program accepts and delivers, after which nothing is left to change", async function () {
        this.timeout(120000);
        const change = YAML.parse(report.stackFileChange!).config["tacos:performanceProfile"].services;
        assert.deepStrictEqual(Object.keys(change).sort(), [
            "gateway-api",
            "inventory-api",
            "payment-sim-api",
            "reservation-api",
        ]);
        const run = await runProgram("prod", (c) => {
            for (const [service, entry] of Object.entries(change))
                Object.assign(((c["tacos:performanceProfile"].services ??= {})[service] ??= {}), entry);
        });
        assert.strictEqual(run.error, undefined, String(run.error));
        const values = serviceValuesOf(run, "gateway-api");
        assert.deepStrictEqual(values.resources.requests, { cpu: "420m", memory: "284Mi" });
        assert.deepStrictEqual(
            values.resources.limits,
            CATALOGUE["gateway-api"].resources.limits,
            "limits stay",
        );
    });

    it("refuses requests above the container's limits, naming the field", async function () {
        this.timeout(120000);
        const run = await runProgram("dev", (c) => {
            c["tacos:performanceProfile"] ??= {};
            (c["tacos:performanceProfile"].services ??= {})["inventory-api"] = {
                requests: { cpu: "2", memory: "1Gi" },
            };
        });
        assert.match(
            String(run.error?.message),
            /performanceProfile\.services\.inventory-api\.requests\.cpu \(2\) must not exceed the container's CPU limit 1000m/,
        );
        assert.match(
            String(run.error?.message),
            /performanceProfile\.services\.inventory-api\.requests\.memory \(1Gi\) must not exceed/,
        );
        assert.deepStrictEqual(run.resources, []);
    });

    it("refuses a file that is not a VPA list with one error naming what is wrong", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rightsize-"));
        const file = path.join(dir, "pods.json");
        fs.writeFileSync(
            file,
            JSON.stringify({ kind: "List", items: [{ kind: "Pod", metadata: { name: "x" } }] }),
        );
        assert.throws(() => readVpaList(file), /is not a VerticalPodAutoscaler list: items\.0\.kind/);
        fs.writeFileSync(file, "not json");
        assert.throws(() => readVpaList(file), /not JSON/);
    });
});
