// Shapes of the national classification codes used across contexts.
export const REGION_CODE = /^\d{6}$/;
export const OCCUPATION_CODE = /^\d-\d{2}-\d{2}-\d{2}$/;
export const INDUSTRY_CODE = /^[A-T]\d{2}$/;
export const MOBILE_NUMBER = /^1\d{10}$/;
