export const DEMO_TOUR_ID = '00000000-0000-4000-8000-000000000000';
export async function seedDemoTour(_: unknown): Promise<void> {}
