ALTER TABLE `outbox` ADD `sealed` integer DEFAULT false NOT NULL;--> statement-breakpoint
/* Mail that carried a secret and was stored in clear before sealing: once delivered or given up, its
   body goes (SQL can't encrypt; mail still waiting is erased by the mail job when it is sent). */
UPDATE `outbox` SET `html` = '', `text` = '', `attachments` = NULL
  WHERE `template` IN ('account.activation', 'account.reset', 'member.invitation', 'ecode.voucher') AND `status` IN ('sent', 'failed');
