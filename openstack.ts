/**
 * The OpenStack provider bindings the stacks are built with (terraform-provider-openstack/openstack, generated from
 * providers/openstack/schema.json), one namespace per resource as `cdktf get` writes them:
 * `new openstack.networkingSecgroupRuleV2.NetworkingSecgroupRuleV2(scope, id, config)`.
 *
 * @packageDocumentation
 */
export * from "./.gen/providers/openstack";
