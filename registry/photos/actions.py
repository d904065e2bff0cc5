"""Admin actions on photos that apps above the core add at start-up (the data app's "make the thumbnails
again", a background job): the core's photo admin offers them without importing those apps."""

#: The photo admin's ``actions`` (registry/admin.py): this list itself, so what is added later shows.
PHOTO_ADMIN_ACTIONS: list = []


def register_photo_admin_action(action) -> None:
    if action not in PHOTO_ADMIN_ACTIONS:
        PHOTO_ADMIN_ACTIONS.append(action)
