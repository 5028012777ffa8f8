/** RC-2026-0001: the year the recall was drafted (Asia/Shanghai) and its number within that year, without gaps. */
export const formatRecallNo = (year: number, seq: number) => `RC-${year}-${String(seq).padStart(4, '0')}`;
