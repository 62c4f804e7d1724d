export * from "./host-map";
export * from "./validation-error";
