-- Which copy of a journal directory may move its position. A journal directory copied to another
-- host (a VM image, `cp -a data`) carries the same journal id: the first to claim the row with
-- the token its directory holds keeps the id, any other copy starts a new journal. Rows written
-- before this migration have no owner yet and are claimed by the first start that reads them.
ALTER TABLE click_journals ADD COLUMN owner text;
