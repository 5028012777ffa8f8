/** The nominations that become sampling tasks: the top `quota` by votes; ties go to the earlier nomination. Pure. */
export interface RankableNomination {
  id: number;
  votes: number;
  createdAt: Date;
}

export function compareNominations(a: RankableNomination, b: RankableNomination): number {
  return b.votes - a.votes || a.createdAt.getTime() - b.createdAt.getTime() || a.id - b.id;
}

export function selectTopNominations<T extends RankableNomination>(nominations: readonly T[], quota: number): T[] {
  return [...nominations].sort(compareNominations).slice(0, Math.max(0, quota));
}
