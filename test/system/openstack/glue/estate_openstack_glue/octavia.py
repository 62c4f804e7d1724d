"""An Octavia network driver: real Neutron for what a user sees, no-op for the amphora plumbing.

With Octavia's network_noop_driver a load balancer's VIP port id is a random UUID, so nothing can associate a
floating IP with the VIP or see the VIP's security group. This driver keeps Octavia's allowed-address-pairs
driver (real Neutron) for VIP allocation and release, the VIP security group and every lookup, and hands
everything that wires amphora instances (which the noop compute driver never creates) to the noop network
driver. Lookups of resources that only exist in the noop driver's imagination (fake amphora ports and networks)
fall back to it as well.

Registered under the entry point octavia.network.drivers:estate_hybrid_driver (see entry_points.txt).
"""
from octavia.network import base
from octavia.network.drivers.neutron import allowed_address_pairs
from octavia.network.drivers.noop_driver import driver as noop


class HybridNetworkDriver(allowed_address_pairs.AllowedAddressPairsDriver):
    """AllowedAddressPairsDriver with the amphora side of every flow made a no-op."""

    def __init__(self):
        super().__init__()
        self._noop = noop.NoopNetworkDriver()

    # Amphora plumbing: there are no amphora instances.
    def plug_vip(self, load_balancer, vip):
        return self._noop.plug_vip(load_balancer, vip)

    def unplug_vip(self, load_balancer, vip):
        return self._noop.unplug_vip(load_balancer, vip)

    def plug_aap_port(self, load_balancer, vip, amphora, subnet):
        return self._noop.plug_aap_port(load_balancer, vip, amphora, subnet)

    def unplug_aap_port(self, vip, amphora, subnet):
        return self._noop.unplug_aap_port(vip, amphora, subnet)

    def plug_network(self, compute_id, network_id):
        return self._noop.plug_network(compute_id, network_id)

    def unplug_network(self, compute_id, network_id):
        return self._noop.unplug_network(compute_id, network_id)

    def plug_port(self, amphora, port):
        return self._noop.plug_port(amphora, port)

    def plug_fixed_ip(self, port_id, subnet_id, ip_address=None):
        return self._noop.plug_fixed_ip(port_id, subnet_id, ip_address)

    def unplug_fixed_ip(self, port_id, subnet_id):
        return self._noop.unplug_fixed_ip(port_id, subnet_id)

    def get_plugged_networks(self, compute_id):
        return self._noop.get_plugged_networks(compute_id)

    def get_network_configs(self, load_balancer, amphora=None):
        return self._noop.get_network_configs(load_balancer, amphora)

    def failover_preparation(self, amphora):
        return self._noop.failover_preparation(amphora)

    def wait_for_port_detach(self, amphora):
        return self._noop.wait_for_port_detach(amphora)

    def set_port_admin_state_up(self, port_id, state):
        try:
            return super().set_port_admin_state_up(port_id, state)
        except base.PortNotFound:
            return self._noop.set_port_admin_state_up(port_id, state)

    # Lookups: real first, the noop driver's fake amphora resources second.
    def get_port(self, port_id, context=None):
        try:
            return super().get_port(port_id, context=context)
        except base.PortNotFound:
            return self._noop.get_port(port_id)

    def get_network(self, network_id, context=None):
        try:
            return super().get_network(network_id, context=context)
        except base.NetworkNotFound:
            return self._noop.get_network(network_id)

    def get_subnet(self, subnet_id, context=None):
        try:
            return super().get_subnet(subnet_id, context=context)
        except base.SubnetNotFound:
            return self._noop.get_subnet(subnet_id)
