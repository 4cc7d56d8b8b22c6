CREATE TABLE `einvoice_notifications` (
	`id` text PRIMARY KEY NOT NULL,
	`invoice_id` text NOT NULL,
	`type` text NOT NULL,
	`received_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `einvoice_submissions` (
	`invoice_id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`channel` text NOT NULL,
	`state` text NOT NULL,
	`document_hash` text,
	`file_name` text,
	`session_ref` text,
	`transport_ref` text,
	`number` text,
	`receipt` text,
	`note` text,
	`reasons` text,
	`last_error` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`claim` text,
	`claimed_until` integer,
	`sent_at` integer,
	`decided_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`invoice_id`) REFERENCES `invoices`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `einvoice_submissions_due` ON `einvoice_submissions` (`state`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `einvoice_submissions_org` ON `einvoice_submissions` (`org_id`,`state`);--> statement-breakpoint
CREATE UNIQUE INDEX `einvoice_submissions_transport_ref` ON `einvoice_submissions` (`channel`,`transport_ref`) WHERE "einvoice_submissions"."transport_ref" is not null;