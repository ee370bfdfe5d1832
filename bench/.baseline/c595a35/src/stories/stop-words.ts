/**
 * Function words that carry no story identity. Mostly English (most feeds are), plus the commonest
 * articles and prepositions of German, French and Spanish so translated bylines and datelines in those
 * languages do not dominate a short fingerprint; and the words of news furniture (weekdays, months, "said",
 * agency names, "read more", "continue reading") that every report carries whatever its story. Kept small on
 * purpose: a word that is a stop word in one language and a content word in another ("die") costs a little
 * recall in the other one.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set([
  // English
  'a', 'about', 'after', 'against', 'all', 'also', 'an', 'and', 'any', 'are', 'as', 'at', 'be', 'been',
  'before', 'being', 'between', 'both', 'but', 'by', 'can', 'could', 'did', 'do', 'does', 'during', 'each',
  'for', 'from', 'had', 'has', 'have', 'he', 'her', 'here', 'his', 'how', 'i', 'if', 'in', 'into', 'is', 'it',
  'its', 'just', 'more', 'most', 'no', 'not', 'of', 'on', 'or', 'other', 'our', 'out', 'over', 'she', 'so',
  'some', 'such', 'than', 'that', 'the', 'their', 'them', 'then', 'there', 'these', 'they', 'this', 'those',
  'through', 'to', 'under', 'up', 'very', 'was', 'we', 'were', 'what', 'when', 'where', 'which', 'while',
  'who', 'whom', 'why', 'will', 'with', 'would', 'you', 'your',
  // News furniture
  'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'january', 'february',
  'march', 'april', 'june', 'july', 'august', 'september', 'october', 'november', 'december', 'said', 'says',
  'told', 'according', 'reuters', 'ap', 'afp', 'dpa', 'efe', 'reporting', 'editing', 'read', 'continue',
  'reading', 'advertisement', 'news', 'updated', 'update', 'breaking', 'live', 'video', 'photo',
  // German
  'der', 'die', 'das', 'den', 'dem', 'des', 'ein', 'eine', 'einen', 'einem', 'einer', 'und', 'oder', 'von',
  'mit', 'im', 'ist', 'zu', 'auf', 'fur',
  // French
  'le', 'la', 'les', 'un', 'une', 'des', 'du', 'de', 'et', 'ou', 'par', 'pour', 'dans', 'sur', 'au', 'aux',
  // Spanish
  'el', 'los', 'las', 'del', 'y', 'en', 'por', 'para', 'con', 'una',
]);
