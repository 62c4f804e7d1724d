export * from "./fleet";
export * from "./floating-vip";
export * from "./service-load-balancer";
export * from "./server-group";
export * from "./service-security-group";
export * from "./site-network";
export * from "./image-builder";
