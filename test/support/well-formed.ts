/** No lone surrogate: text every receiver can encode as UTF-8 (String#isWellFormed, without the ES2024 lib). */
export const isWellFormed = (text: string) => !/\p{Cs}/u.test(text);
