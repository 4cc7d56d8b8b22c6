DROP INDEX `usage_org_quota_at`;--> statement-breakpoint
CREATE INDEX `usage_org_quota_at_qty` ON `usage_events` (`org_id`,`product_id`,`quota_key`,`at`,`quantity`);