ALTER TABLE `orders` ADD `cancel_reason` text;--> statement-breakpoint
ALTER TABLE `payments` ADD `method` text;--> statement-breakpoint
ALTER TABLE `saved_methods` ADD `method` text;--> statement-breakpoint
-- What the rows written before these columns existed can still tell: a saved PayPal account is
-- labelled "PayPal…"; an operator's payment is a transfer; a test-provider attempt's reference
-- names its method (tpp_ for PayPal). Other attempts keep null, and the order's method stands in.
UPDATE `saved_methods` SET `method` = CASE WHEN `label` LIKE 'PayPal%' THEN 'paypal' ELSE 'card' END;--> statement-breakpoint
UPDATE `payments` SET `method` = CASE
  WHEN `kind` = 'manual' THEN 'transfer'
  WHEN `provider` = 'test' AND `kind` = 'hosted' AND `provider_ref` LIKE 'tpp\_%' ESCAPE '\' THEN 'paypal'
  WHEN `provider` = 'test' AND `kind` = 'hosted' AND `provider_ref` IS NOT NULL THEN 'card'
END;--> statement-breakpoint
-- A cancelled order's reason, from its history row: the lapse says so, an operator cancelled by hand,
-- the renewals job cancelled an unpaid transfer; an order of a deleted org without one went with it.
UPDATE `orders` SET `cancel_reason` = coalesce(
  (SELECT CASE
      WHEN json_extract(h.`details`, '$.reason') = 'lapse' THEN 'lapse'
      WHEN h.`actor_type` = 'operator' THEN 'operator'
      WHEN h.`actor_type` = 'system' THEN 'unpaid'
    END
    FROM `history` h WHERE h.`kind` = 'order.cancelled' AND h.`subject_type` = 'order' AND h.`subject_id` = `orders`.`id` LIMIT 1),
  (SELECT 'org_deleted' FROM `orgs` WHERE `orgs`.`id` = `orders`.`org_id` AND `orgs`.`deleted_at` IS NOT NULL)
) WHERE `status` = 'cancelled';
