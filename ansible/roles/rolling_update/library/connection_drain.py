#!/usr/bin/python3
# -*- coding: utf-8 -*-
# Apache-2.0
"""Waits on a host until no TCP connection is open to its backend ports, or a bound passes."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: connection_drain
short_description: Wait until a drained host holds no open TCP connection on its backend ports
description:
  - Samples the host's ESTABLISHED TCP connections whose local port is one of I(ports) every I(poll_sec) seconds,
    with C(ss -H -t -n state established) from iproute2 and a filter on the local port (C(sport = :PORT)).
  - A connection counts as open once it is seen at two samples in a row (same local and peer address and port).
    A load balancer's health probe opens a fresh connection (a new source port) that lives for milliseconds, so it
    never counts, however often it comes; a request still in flight, or an idle keep-alive connection, does.
  - Returns as soon as no connection counts as open. When I(timeout_sec) passes first, it goes on with a warning
    naming the connections still open, or fails with that message when I(fail_on_timeout) is true.
options:
  ports:
    description: Local TCP ports the load balancer connects to (the service's backend ports).
    type: list
    elements: int
    required: true
  timeout_sec:
    description: The bound, in seconds, on the wait.
    type: int
    required: true
  poll_sec:
    description: Seconds between two samples; keep it above the health check's response time.
    type: float
    default: 1.0
  fail_on_timeout:
    description: Fail, instead of warning, when the bound passes with connections still open.
    type: bool
    default: false
  name:
    description: How messages name the host (the inventory hostname); the host's own hostname when not given.
    type: str
requirements:
  - ss (iproute2)
"""

EXAMPLES = r"""
- name: Drain | Wait until no connection is open to the backend ports
  connection_drain:
    ports: [8080]
    timeout_sec: 300
    name: "{{ inventory_hostname }}"
"""

RETURN = r"""
drained:
  description: True when no connection counted as open at the end of the wait.
  type: bool
  returned: always
connections:
  description: Connections counted as open at the end of the wait (0 when drained).
  type: int
  returned: always
peers:
  description: Peer address:port of each connection counted as open at the end, sorted.
  type: list
  elements: str
  returned: always
elapsed_sec:
  description: Seconds the wait took, to a tenth of a second.
  type: float
  returned: always
samples:
  description: Samples taken.
  type: int
  returned: always
"""

import socket
import time

from ansible.module_utils.basic import AnsibleModule


def ss_filter(ports):
    """The ss filter expression that selects connections by local port: "( sport = :80 or sport = :8080 )"."""
    return "( " + " or ".join("sport = :%d" % port for port in ports) + " )"


def sample(module, ss, ports):
    """The ESTABLISHED connections to the ports, as a set of (local, peer) address:port pairs."""
    rc, out, err = module.run_command([ss, "-H", "-t", "-n", "state", "established", ss_filter(ports)])
    if rc != 0:
        module.fail_json(msg="ss failed (exit %d): %s" % (rc, err.strip()))
    # With a state filter ss prints no State column: Recv-Q Send-Q Local-Address:Port Peer-Address:Port [Process].
    return set((fields[2], fields[3]) for fields in (line.split() for line in out.splitlines()) if len(fields) >= 4)


def wait(module, ss, ports, timeout_sec, poll_sec):
    """Samples until no connection is open at two samples in a row, or the bound passes.

    Returns the connections open at the last two samples (at the first, when the bound allowed one only), the
    seconds taken and the number of samples.
    """
    start = time.monotonic()
    deadline = start + timeout_sec
    previous = sample(module, ss, ports)
    still_open = previous
    samples = 1
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        time.sleep(min(poll_sec, remaining))
        current = sample(module, ss, ports)
        samples += 1
        still_open = previous & current
        if not still_open:
            break
        previous = current
    return still_open, time.monotonic() - start, samples


def main():
    module = AnsibleModule(
        argument_spec=dict(
            ports=dict(type="list", elements="int", required=True),
            timeout_sec=dict(type="int", required=True),
            poll_sec=dict(type="float", default=1.0),
            fail_on_timeout=dict(type="bool", default=False),
            name=dict(type="str"),
        ),
        supports_check_mode=True,
    )
    ports = sorted(set(module.params["ports"]))
    timeout_sec = module.params["timeout_sec"]
    poll_sec = module.params["poll_sec"]
    name = module.params["name"] or socket.gethostname()
    if not ports or any(port < 1 or port > 65535 for port in ports):
        module.fail_json(msg="ports must list TCP ports 1-65535, got %s" % module.params["ports"])
    if timeout_sec < 0 or poll_sec <= 0:
        module.fail_json(msg="timeout_sec must be 0 or more and poll_sec more than 0, got %s and %s" % (timeout_sec, poll_sec))
    ss = module.get_bin_path("ss")
    if ss is None:
        module.fail_json(msg="%s has no ss command: install iproute2" % name)

    still_open, elapsed, samples = wait(module, ss, ports, timeout_sec, poll_sec)
    peers = sorted(peer for _local, peer in still_open)
    result = dict(
        changed=False,
        drained=not still_open,
        connections=len(still_open),
        peers=peers,
        elapsed_sec=round(elapsed, 1),
        samples=samples,
    )
    if still_open:
        message = "%s still has %d connection(s) open to port(s) %s after the drain bound of %d s (from %s)" % (
            name,
            len(still_open),
            ", ".join(str(port) for port in ports),
            timeout_sec,
            ", ".join(peers),
        )
        if module.params["fail_on_timeout"]:
            module.fail_json(msg=message, **result)
        module.warn(message + "; going on")
    module.exit_json(**result)


if __name__ == "__main__":
    main()
