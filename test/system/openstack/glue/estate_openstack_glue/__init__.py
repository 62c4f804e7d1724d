"""Drivers that stand in for hardware in the local test control plane (see ../README.md): no hypervisor, no
Open vSwitch agent, no block storage, no amphora images. Each one is named in a service's configuration by
test/system/openstack/setup.sh and used nowhere else."""
