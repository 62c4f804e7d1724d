"""A Cinder volume driver that stores nothing: Debian's python3-cinder ships the logging fake driver used by
Cinder's own tests (cinder.tests.fake_driver); this subclass also reports every image as cloned, so a volume
created from a Glance image (every boot-from-volume server) becomes available without copying image data, and
copies no image into a volume being re-imaged (Nova's volume-backed rebuild, compute API 2.93), where the LVM
driver it derives from would write to a block device.

Configured as volume_driver = estate_openstack_glue.cinder.ClonedImageFakeDriver.
"""
from cinder.tests import fake_driver


class ClonedImageFakeDriver(fake_driver.FakeLoggingVolumeDriver):
    """FakeLoggingVolumeDriver whose clone_image always succeeds."""

    def clone_image(self, context, volume, image_location, image_meta, image_service):
        # (model update, cloned): Cinder then skips downloading the image into the volume.
        return None, True

    def copy_image_to_volume(self, context, volume, image_service, image_id, *args, **kwargs):
        # Nothing to write: the volume has no backing store.
        pass
