ALTER TABLE `einvoice_submissions` ADD `offline_mode` integer DEFAULT false NOT NULL;--> statement-breakpoint
-- Rows waiting after KSeF was found down were issued offline.
UPDATE `einvoice_submissions` SET `offline_mode` = true WHERE `state` = 'offline';
