/**
 * The places the shipped rules watch, with the spellings news uses for them in English, Korean and
 * Russian. Cyrillic and Hangul names are matched as word prefixes, since both languages inflect or attach
 * particles (`Курской`, `쿠르스크에`); Latin names as whole words.
 */
export interface Place {
  name: string;
  aliases: readonly string[];
}

export const PLACES: readonly Place[] = [
  { name: 'Kursk', aliases: ['Kursk', 'Курск', '쿠르스크'] },
  { name: 'Belgorod', aliases: ['Belgorod', 'Белгород', '벨고로드'] },
  { name: 'Bryansk', aliases: ['Bryansk', 'Брянск', '브랸스크'] },
  { name: 'Donetsk', aliases: ['Donetsk', 'Донецк', '도네츠크'] },
  { name: 'Luhansk', aliases: ['Luhansk', 'Lugansk', 'Луганск', '루한스크'] },
  { name: 'Zaporizhzhia', aliases: ['Zaporizhzhia', 'Zaporozhye', 'Запорож', '자포리자'] },
  { name: 'Kherson', aliases: ['Kherson', 'Херсон', '헤르손'] },
  { name: 'Kharkiv', aliases: ['Kharkiv', 'Kharkov', 'Харьков', 'Харків', '하르키우'] },
  { name: 'Crimea', aliases: ['Crimea', 'Крым', '크림반도'] },
  { name: 'Moscow', aliases: ['Moscow', 'Москв', '모스크바'] },
  { name: 'Vladivostok', aliases: ['Vladivostok', 'Владивосток', '블라디보스토크'] },
  { name: 'Khabarovsk', aliases: ['Khabarovsk', 'Хабаровск', '하바롭스크'] },
  { name: 'Pyongyang', aliases: ['Pyongyang', 'Пхеньян', '평양'] },
  { name: 'Wonsan', aliases: ['Wonsan', 'Вонсан', '원산'] },
  { name: 'Rason', aliases: ['Rason', 'Rajin', 'Расон', '라선'] },
  { name: 'Chongjin', aliases: ['Chongjin', 'Чхонджин', '청진'] },
  { name: 'Seoul', aliases: ['Seoul', 'Сеул', '서울'] },
  { name: 'Kyiv', aliases: ['Kyiv', 'Kiev', 'Киев', 'Київ', '키이우'] },
];
