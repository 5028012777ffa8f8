import type { ColumnType, JSONColumnType } from 'kysely';

/** Column helpers shared by every table file. */
export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
export type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
export type Json<T extends object | null> = JSONColumnType<T, string, string>;
export type NullableJson<T> = ColumnType<T | null, string | null | undefined, string | null>;
/** Written once as JSON text, never updated (event payloads). */
export type JsonOnce<T> = ColumnType<T, string | undefined, never>;
