/**
 * The commit each service is described from and the images the stacks deploy: the catalogue
 * names one commit per service, the stack files name that commit's image as the service's CI
 * tags it, and the user the pods run as is the one that image's Dockerfile creates.
 */
import * as assert from "assert";
import { CATALOGUE, SERVICE_NAMES } from "../components/apps/catalogue";
import { readStackConfig } from "../tools/stack-files";
import { EXPECTED_REVISION, EXPECTED_RUN_AS_USER, EXPECTED_TAG } from "./services";

describe("services: revisions and images", () => {
    it("reads each service from one full commit of its repository", () => {
        for (const service of SERVICE_NAMES) {
            assert.strictEqual(CATALOGUE[service].revision, EXPECTED_REVISION[service], service);
        }
    });

    for (const stack of ["dev", "prod"]) {
        it(`${stack}: deploys the image of each service's catalogued commit, as its CI tags it`, () => {
            const images = readStackConfig(stack)["tacos:images"] as { tags: Record<string, string> };
            assert.deepStrictEqual(images.tags, EXPECTED_TAG);
            for (const service of SERVICE_NAMES) {
                assert.ok(
                    CATALOGUE[service].revision.startsWith(images.tags[service]),
                    `${stack}: ${service}'s tag ${images.tags[service]} is a prefix of its revision`,
                );
            }
        });
    }

    it("runs each service as the user its image creates", () => {
        for (const service of SERVICE_NAMES) {
            assert.strictEqual(CATALOGUE[service].runAsUser, EXPECTED_RUN_AS_USER[service], service);
        }
    });
});
