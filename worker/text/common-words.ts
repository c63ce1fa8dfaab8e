/**
 * The prior on common words: names and titles made only of these read as ordinary English unless
 * the text says otherwise (capitals mid-sentence, quotation marks, the artist nearby). Frequent
 * English words, plus the words song titles and band names most often borrow (home, stay, nova,
 * gold, fire…). Folded forms (see tokens.ts fold()).
 */
const WORDS = `
a about above across after again against all almost alone along already also always am among an and another any anyone
anything are around as at away back be became because become been before began behind being below best better between
big both but by call came can cannot could day did do does done down during each early either else end enough even ever
every few first for from full get give go going gone good got great had half has have he her here him his how however i
if in into is it its just keep kind last later least less let life like little long look lot made make man many may me
might more most much must my near need never new next no none nor not nothing now of off often old on once one only or
other our out over own part per place put quite rather really right said same saw say see seen she should show side
since so some something soon still such take than that the their them then there these they thing think this those
though three through time to today together too took toward two under until up upon us use very was way we well went
were what when where which while who whole why will with within without would year yet you your
about again alive all alright angel angels animal answer apart arms away baby bad beautiful bed believe better big bird
birds black blue body bones boy breathe bright broken brother burn burning call calling change city clear closer cloud
clouds cold colour color come comet crazy cry dance dancer dancing dark darkness daylight dead dear deep desire diamond
diamonds dive dream dreams dreamer drive driving dust earth echo echoes electric empty enemy escape eternal everything eyes
face fade faded fall falling far fear feel feeling fever fire fireflies flame float flow flower flowers fly forever
forget free freedom friend friends fly ghost ghosts girl glass glow go gold golden gone gravity green grow happy harbor
harbour heart hearts heat heaven hello help hero high highway hold holiday home honey hope horizon hurricane hurt ice
island kids kiss king lady landslide late light lightning lights lonely lose lost love lover loving lucky machine magic
midnight mind mirror moon morning mother music name never night nights nothing nova ocean oceans one paradise paper
people perfect pieces please poison power pressure pretty promise queen radio rain rainbow rebel red river road rock run
running sad safe satellite say sea secret secrets shadow shadows shake shine sing sky sleep slow smile snow someone
something song sorry soul space spark stars star starlight stay stone storm story strange stranger street summer sun
sunday sunrise sunset sunshine sweet talk tears tell thunder tide tides time tonight trouble true truth wait waiting
wake walk walking want war water waves way weekend whisper white wild wind winter wish woman wonder wonderwall world
yesterday young youth zero
album albums band bands record records single singles song songs track tracks tour show shows live stage crowd
`;

/** Folded common words. */
export const COMMON_WORDS: ReadonlySet<string> = new Set(WORDS.split(/\s+/).filter((w) => w.length > 0));

/**
 * True when every word of a folded name is common: "Home", "Stay", "Nova", "The Night" are; "Radiohead"
 * and "Night Drive Ovation" are not.
 *
 * @example isCommonPhrase(['the', 'night']) // true
 */
export function isCommonPhrase(words: readonly string[]): boolean {
  return words.length > 0 && words.every((w) => COMMON_WORDS.has(w));
}
