"""Adoption: adopters, their applications and adoptions, sign-up, the adopter's dashboard, the staff
queue, notices and reminders. State changes in ``operations`` (adoptions) and ``accounts`` (the
adopter's account); reads in ``queries``."""
