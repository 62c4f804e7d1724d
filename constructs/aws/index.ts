export * from "./fleet";
export * from "./golden-image";
export * from "./service-load-balancer";
export * from "./service-security";
export * from "./site-network";
