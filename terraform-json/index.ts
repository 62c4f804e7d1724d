export * from "./reader";
export * from "./readings";
