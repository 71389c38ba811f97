"""Access entries of stored photos: by their unguessable key, to those who may see them.

The photo here belongs to resident_a's pending proposal, so only its author and staff
get it (and never from a shared cache); a photo of a public proposal is everyone's.
Every status of a proposal is covered in tests/media/test_access.py.
"""

from komoro_engage.accounts.models import User
from komoro_engage.extensions import db
from komoro_engage.media.services import store_photo
from komoro_engage.proposals.models import ProposalStatus
from komoro_engage.proposals.services import set_photos
from tests.access import Access, World, expect
from tests.media.images import phone_jpeg, upload
from tests.proposals.helpers import make_proposal


def build(world: World) -> None:
    """Store one real photo, attached to a proposal waiting for review."""
    author = db.session.get(User, world.users["resident_a"])
    photo = store_photo(upload(phone_jpeg()), uploader=author)
    set_photos(make_proposal(author, ProposalStatus.PENDING), [], [photo])
    world.extra["photo_key"] = photo.key


AUTHOR_AND_STAFF = expect(anonymous=404, resident_a=200, resident_b=404, org_manager=404,
                          staff=200, admin=200)
ENTRIES = [
    Access("media.photo", "GET", AUTHOR_AND_STAFF,
           args=lambda world: {"key": world.extra["photo_key"]}),
    Access("media.thumbnail", "GET", AUTHOR_AND_STAFF,
           args=lambda world: {"key": world.extra["photo_key"]}),
]
