export * from "./service-traffic";
export * from "./weighted-service-record";
