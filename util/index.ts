export * from "./compare-strings";
