export type { SignedInUser as ViewerModel } from './viewer';
