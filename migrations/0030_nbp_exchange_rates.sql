CREATE TABLE `exchange_rates` (
	`currency` text NOT NULL,
	`day` text NOT NULL,
	`rate` text NOT NULL,
	`table_no` text NOT NULL,
	`effective_date` text NOT NULL,
	`fetched_at` integer NOT NULL,
	PRIMARY KEY(`currency`, `day`)
);
