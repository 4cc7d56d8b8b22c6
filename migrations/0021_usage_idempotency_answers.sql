DROP INDEX `usage_idempotency`;--> statement-breakpoint
ALTER TABLE `usage_events` ADD `fingerprint` text;--> statement-breakpoint
ALTER TABLE `usage_events` ADD `response` text;--> statement-breakpoint
-- Reports made before answers were stored keep their keys held (never counted twice): a retry of one
-- is told its key was used (422 idempotency_key_reused) until the daily purge releases it at 24 hours.
UPDATE `usage_events` SET `fingerprint` = 'legacy';--> statement-breakpoint
CREATE INDEX `usage_keys_held` ON `usage_events` (`at`) WHERE fingerprint is not null;--> statement-breakpoint
CREATE UNIQUE INDEX `usage_idempotency` ON `usage_events` (`org_id`,`idempotency_key`) WHERE fingerprint is not null;
