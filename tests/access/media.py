"""Access entries of stored photos: public by their unguessable key."""

from komoro_engage.media.services import store_photo
from tests.access import Access, World, everyone
from tests.media.images import phone_jpeg, upload


def build(world: World) -> None:
    """Store one real photo for the entries below."""
    photo = store_photo(upload(phone_jpeg()), uploader=None)
    world.extra["photo_key"] = photo.key


ENTRIES = [
    Access("media.photo", "GET", everyone(200),
           args=lambda world: {"key": world.extra["photo_key"]}),
    Access("media.thumbnail", "GET", everyone(200),
           args=lambda world: {"key": world.extra["photo_key"]}),
]
