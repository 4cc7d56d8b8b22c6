CREATE TABLE `batch_guards` (
	`reason` text NOT NULL
);
--> statement-breakpoint
CREATE TRIGGER `batch_guards_abort` BEFORE INSERT ON `batch_guards`
BEGIN SELECT RAISE(ABORT, 'kontor batch guard: the state this write was planned on has changed'); END;
