"""A Nova virt driver: Nova's fake driver, plus snapshot data.

nova.virt.fake.FakeDriver (shipped in python3-nova) runs no guests and its snapshot() never uploads anything, so a
snapshot of an image-backed server stays "queued" in Glance forever. This subclass uploads a small raw disk as
the snapshot's data, the way the libvirt driver uploads the guest's disk (nova/virt/libvirt/driver.py, snapshot),
so `openstack server image create --wait` completes with an active image, as it does on a real cloud.

Nova imports virt drivers from its nova.virt package only: setup.sh registers this module as
nova.virt.estate_snapshot_fake and configures compute_driver = estate_snapshot_fake.SnapshotFakeDriver.
"""
import io

from nova.image import glance
from nova.virt import fake

# The snapshot's content: 1 MiB of zeros, in raw format.
SNAPSHOT_BYTES = 1048576


class SnapshotFakeDriver(fake.FakeDriver):
    """FakeDriver whose snapshots end active in Glance."""

    def snapshot(self, context, instance, image_id, update_task_state):
        super().snapshot(context, instance, image_id, update_task_state)
        snapshot = glance.API().get(context, image_id)
        metadata = {
            "status": "active",
            "name": snapshot["name"],
            "disk_format": "raw",
            "container_format": "bare",
            "properties": {"image_location": "snapshot", "image_state": "available", "owner_id": instance.project_id},
        }
        glance.API().update(context, image_id, metadata, io.BytesIO(b"\0" * SNAPSHOT_BYTES), purge_props=False)
