#!/usr/bin/python3
"""Creates, idempotently, the cloud-side objects of the local test control plane, in one process (each openstack
CLI call costs seconds of Python start-up on a busy 2-core machine). Called by setup.sh, with Debian's python3 and
openstacksdk 0.101:

  bootstrap.py services    service users (admin in project "service"), catalog entries, Octavia's roles
  bootstrap.py mgmt-net    Octavia's management network; prints its id
  bootstrap.py wait-services   waits (bounded) for a nova-compute per availability zone and cinder-volume
  bootstrap.py fixtures    what test/fixtures/openstack-local/local.yaml expects: availability zones, flavors,
                           external network "public", images, quotas, and the member-role user

Environment: OS_AUTH_URL, OS_REGION_NAME and ESTATE_SECRETS_DIR (one file per password, written by setup.sh).
"""
import os
import sys
import time

import openstack

SECRETS_DIR = os.environ["ESTATE_SECRETS_DIR"]
AUTH_URL = os.environ["OS_AUTH_URL"]
REGION = os.environ["OS_REGION_NAME"]
HOST = "127.0.0.1"

# service user, catalog type, catalog name, URL
SERVICES = [
    ("glance", "image", "glance", f"http://{HOST}:9292"),
    ("placement", "placement", "placement", f"http://{HOST}:8778"),
    ("nova", "compute", "nova", f"http://{HOST}:8774/v2.1"),
    ("neutron", "network", "neutron", f"http://{HOST}:9696"),
    ("cinder", "volumev3", "cinderv3", f"http://{HOST}:8776/v3/%(project_id)s"),
    ("octavia", "load-balancer", "octavia", f"http://{HOST}:9876"),
]
# Octavia's default policy checks these roles (octavia/common/policies/base.py).
OCTAVIA_ROLES = ["load-balancer_observer", "load-balancer_global_observer", "load-balancer_member", "load-balancer_admin"]
ZONES = ["az1", "az2", "az3"]
FLAVORS = [("m1.small", 1, 2048, 20), ("m1.medium", 2, 4096, 40)]
# One /26 of the external network per site of the fixture estate.
PUBLIC_SUBNETS = [("public-a", 0), ("public-b", 64), ("public-c", 128)]
IMAGES = ["debian12-golden-2026.11.1", "debian-12-genericcloud"]
MEMBER_USER, MEMBER_PROJECT = "estate-member", "estate"


def secret(name):
    with open(os.path.join(SECRETS_DIR, name), encoding="ascii") as f:
        return f.read().strip()


def connect():
    return openstack.connect(
        auth_url=AUTH_URL, username="admin", password=secret("keystone-admin"), project_name="admin",
        user_domain_name="Default", project_domain_name="Default", region_name=REGION, identity_api_version="3",
    )


def ensure_project(conn, name):
    return conn.identity.find_project(name, domain_id="default") or conn.identity.create_project(name=name, domain_id="default")


def ensure_role(conn, name):
    return conn.identity.find_role(name) or conn.identity.create_role(name=name)


def ensure_user(conn, name, password, project, roles):
    user = conn.identity.find_user(name, domain_id="default")
    if user:
        conn.identity.update_user(user, password=password)
    else:
        user = conn.identity.create_user(name=name, password=password, domain_id="default")
    for role in roles:
        conn.identity.assign_project_role_to_user(project, user, ensure_role(conn, role))
    return user


def services(conn):
    service_project = ensure_project(conn, "service")
    for user, kind, name, url in SERVICES:
        ensure_user(conn, user, secret(f"keystone-{user}"), service_project, ["admin"])
        service = conn.identity.find_service(name) or conn.identity.create_service(name=name, type=kind)
        for interface in ("public", "internal"):
            if not list(conn.identity.endpoints(service_id=service.id, interface=interface)):
                conn.identity.create_endpoint(service_id=service.id, interface=interface, url=url, region_id=REGION)
    for role in OCTAVIA_ROLES + ["member"]:
        ensure_role(conn, role)


def mgmt_net(conn):
    net = conn.network.find_network("lb-mgmt-net") or conn.network.create_network(name="lb-mgmt-net")
    if not conn.network.find_subnet("lb-mgmt-subnet"):
        conn.network.create_subnet(network_id=net.id, name="lb-mgmt-subnet", ip_version=4, cidr="172.31.255.0/24",
                                   is_dhcp_enabled=False)
    print(net.id)


def wait(what, check, limit_sec):
    deadline = time.monotonic() + limit_sec
    while not check():
        if time.monotonic() > deadline:
            sys.exit(f"{what} not ready after {limit_sec} s")
        time.sleep(2)


def wait_services(conn):
    """Waits until a nova-compute per availability zone and cinder-volume report up."""
    def computes_up():
        up = [s for s in conn.compute.services(binary="nova-compute") if s.state == "up"]
        return len(up) >= len(ZONES)

    def volume_up():
        services = conn.block_storage.get("/os-services").json()["services"]
        return any(s["binary"] == "cinder-volume" and s["state"] == "up" for s in services)

    wait("a nova-compute per availability zone", computes_up, 240)
    wait("cinder-volume", volume_up, 240)


def fixtures(conn):
    for zone in ZONES:
        aggregate = conn.compute.find_aggregate(zone) or conn.compute.create_aggregate(name=zone, availability_zone=zone)
        if f"fake-{zone}" not in (aggregate.hosts or []):
            conn.compute.add_host_to_aggregate(aggregate, f"fake-{zone}")

    for name, vcpus, ram, disk in FLAVORS:
        if not conn.compute.find_flavor(name):
            conn.compute.create_flavor(name=name, vcpus=vcpus, ram=ram, disk=disk)

    public = conn.network.find_network("public") or conn.network.create_network(
        name="public", is_router_external=True, is_shared=True, provider_network_type="flat",
        provider_physical_network="physnet1")
    for name, base in PUBLIC_SUBNETS:
        if not conn.network.find_subnet(name):
            conn.network.create_subnet(
                network_id=public.id, name=name, ip_version=4, cidr=f"198.51.100.{base}/26", is_dhcp_enabled=False,
                gateway_ip=f"198.51.100.{base + 1}",
                allocation_pools=[{"start": f"198.51.100.{base + 2}", "end": f"198.51.100.{base + 62}"}])

    # 1 MiB of zeros: enough for Glance, Cinder and Nova, which never read it (fake drivers).
    blank = os.path.join(os.path.dirname(SECRETS_DIR), "blank.raw")
    with open(blank, "wb") as f:
        f.write(b"\0" * 1048576)
    for name in IMAGES:
        if not conn.image.find_image(name):
            conn.create_image(name, filename=blank, disk_format="raw", container_format="bare", visibility="public",
                              wait=True)

    admin = conn.identity.find_project("admin", domain_id="default")
    conn.set_compute_quotas(admin.id, instances=50, cores=200, ram=409600)
    conn.set_volume_quotas(admin.id, volumes=100, gigabytes=10000, snapshots=50)
    conn.set_network_quotas(admin.id, port=500, floatingip=50, security_group=100, security_group_rule=1000)

    # A member-role user for the policy checks: member and load-balancer_member in project "estate".
    estate = ensure_project(conn, MEMBER_PROJECT)
    ensure_user(conn, MEMBER_USER, secret(f"keystone-{MEMBER_USER}"), estate, ["member", "load-balancer_member"])
    conn.set_compute_quotas(estate.id, instances=20, cores=80, ram=163840)
    conn.set_volume_quotas(estate.id, volumes=40, gigabytes=4000)


def main(step):
    conn = connect()
    {"services": services, "mgmt-net": mgmt_net, "wait-services": wait_services, "fixtures": fixtures}[step](conn)


if __name__ == "__main__":
    main(sys.argv[1])
