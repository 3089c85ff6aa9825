/**
 * The pack's one surface for the program, the tools and the tests: facts and readers shared by
 * the pack and the program. Nothing here imports a rule module or anything outside this folder,
 * so the pack stays a package of its own.
 */
export * from "./footprint";
export * from "./iam";
export * from "./mesh";
export * from "./instances";
export * from "./placement";
export * from "./platform";
export * from "./quantity";
export * from "./scaling";
export * from "./stack";
export * from "./tags";
export * from "./values";
export * from "./versions";
export * from "./workloads";
