export * from "./address-plan";
export * from "./errors";
export * from "./ipam";
export * from "./load";
export * from "./resolve";
export * from "./schema";
export * from "./types";
export * from "./validate";
