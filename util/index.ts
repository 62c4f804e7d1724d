export * from "./compare-strings";
export * from "./replace-file";
