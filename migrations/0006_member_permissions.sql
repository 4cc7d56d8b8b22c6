CREATE TABLE `member_permissions` (
	`org_id` text NOT NULL,
	`user_id` text NOT NULL,
	`product_id` text NOT NULL,
	PRIMARY KEY(`org_id`, `user_id`, `product_id`),
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`org_id`,`user_id`) REFERENCES `memberships`(`org_id`,`user_id`) ON UPDATE no action ON DELETE cascade
);
