-- Notices to staff users (notify/alert_notices.h): a danger alert of a severe-mental-disorder
-- patient (mental_alerts, 0022) is delivered through the outbox to each partner user of the area.
-- Such a notice is about the patient (person_id) but addressed to the user (recipient_user); the
-- reminder lists of the clinics never show it. NULL for the reminders to a person or guardian.
ALTER TABLE notices ADD COLUMN recipient_user TEXT REFERENCES users(id);
CREATE INDEX notices_recipient_user ON notices(recipient_user, created_at)
  WHERE recipient_user IS NOT NULL;
