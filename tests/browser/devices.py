"""The devices the browser tests open pages on: ``open_page(locale=…, **PHONE)``."""

#: A mid-size phone (390 × 844 CSS px, touch, 2× pixels), motion reduced so waits do not race animations.
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 2, "reduced_motion": "reduce"}
