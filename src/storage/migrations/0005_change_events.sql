-- Every committed change to what the statistics count leaves a row in change_events (the outbox of
-- docs/architecture.md), written by triggers in the same transaction, so that no write path (API,
-- command line, import, demo) can forget it. The live statistics view reads the rows after each
-- commit and reloads the persons they name.

CREATE TRIGGER persons_insert_event AFTER INSERT ON persons
BEGIN
  INSERT INTO change_events (at, entity, entity_id, op, person_id)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'person', NEW.id, 'insert', NEW.id);
END;

CREATE TRIGGER persons_update_event AFTER UPDATE ON persons
BEGIN
  INSERT INTO change_events (at, entity, entity_id, op, person_id)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'person', NEW.id, 'update', NEW.id);
END;

CREATE TRIGGER residence_events_insert_event AFTER INSERT ON residence_events
BEGIN
  INSERT INTO change_events (at, entity, entity_id, op, person_id)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'residence_event', NEW.id, 'insert', NEW.person_id);
END;

CREATE TRIGGER residence_events_update_event AFTER UPDATE ON residence_events
BEGIN
  INSERT INTO change_events (at, entity, entity_id, op, person_id)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'residence_event', NEW.id, 'update', NEW.person_id);
END;

CREATE TRIGGER documents_insert_event AFTER INSERT ON documents
BEGIN
  INSERT INTO change_events (at, entity, entity_id, op, person_id)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'document', NEW.id, 'insert', NEW.person_id);
END;

CREATE TRIGGER documents_update_event AFTER UPDATE ON documents
BEGIN
  INSERT INTO change_events (at, entity, entity_id, op, person_id)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'document', NEW.id, 'update', NEW.person_id);
END;

CREATE TRIGGER vaccination_files_insert_event AFTER INSERT ON vaccination_files
BEGIN
  INSERT INTO change_events (at, entity, entity_id, op, person_id)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'vaccination_file', NEW.person_id, 'insert', NEW.person_id);
END;

CREATE TRIGGER vaccination_files_update_event AFTER UPDATE ON vaccination_files
BEGIN
  INSERT INTO change_events (at, entity, entity_id, op, person_id)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'vaccination_file', NEW.person_id, 'update', NEW.person_id);
END;

CREATE TRIGGER vaccination_records_insert_event AFTER INSERT ON vaccination_records
BEGIN
  INSERT INTO change_events (at, entity, entity_id, op, person_id)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'vaccination_record', NEW.id, 'insert', NEW.person_id);
END;

CREATE TRIGGER vaccination_records_update_event AFTER UPDATE ON vaccination_records
BEGIN
  INSERT INTO change_events (at, entity, entity_id, op, person_id)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'vaccination_record', NEW.id, 'update', NEW.person_id);
END;
