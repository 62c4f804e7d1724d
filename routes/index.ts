export * from "./cidr";
export * from "./consolidate";
export * from "./parse";
