export * from "./reader";
