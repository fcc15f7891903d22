-- Change events (as in 0005) of the service network, read by the live statistics view
-- (kpi/live_view.h): a demonstration point's checklist moves NET_DEMO_POINT, a gathering place's
-- association FP_ASSOCIATION, a point's kind or activity the health-education norms. Entity
-- 'network', no person: the view reads the network's few rows again on such an event.

CREATE TRIGGER service_points_insert_event AFTER INSERT ON service_points
BEGIN
  INSERT INTO change_events (at, entity, entity_id, op, person_id)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'network', NEW.id, 'insert', NULL);
END;

CREATE TRIGGER service_points_update_event AFTER UPDATE ON service_points
BEGIN
  INSERT INTO change_events (at, entity, entity_id, op, person_id)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'network', NEW.id, 'update', NULL);
END;

CREATE TRIGGER gathering_places_insert_event AFTER INSERT ON gathering_places
BEGIN
  INSERT INTO change_events (at, entity, entity_id, op, person_id)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'network', NEW.id, 'insert', NULL);
END;

CREATE TRIGGER gathering_places_update_event AFTER UPDATE ON gathering_places
BEGIN
  INSERT INTO change_events (at, entity, entity_id, op, person_id)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'network', NEW.id, 'update', NULL);
END;

CREATE TRIGGER demo_checklist_insert_event AFTER INSERT ON demo_checklist
BEGIN
  INSERT INTO change_events (at, entity, entity_id, op, person_id)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'network', NEW.point_id, 'insert', NULL);
END;

CREATE TRIGGER demo_checklist_update_event AFTER UPDATE ON demo_checklist
BEGIN
  INSERT INTO change_events (at, entity, entity_id, op, person_id)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'network', NEW.point_id, 'update', NULL);
END;
