-- The charter in the other family languages (issue 15): the guardian reads and signs it on the tablet in their own
-- language. A version without a text in a language is shown in French there.
alter table charter_version
    add column text_ar text check (length(trim(text_ar)) > 0),
    add column text_tr text check (length(trim(text_tr)) > 0),
    add column text_pt text check (length(trim(text_pt)) > 0),
    add column text_uk text check (length(trim(text_uk)) > 0);

update charter_version set
    text_ar = 'تعير البلدية هذا الحاسوب لطفلكم من أجل التعلّم. يبقى الحاسوب ملكا للبلدية.
ألتزم بأن أعتني به، وأن أشحنه، وأن يعيده طفلي إلى المدرسة كل يوم دراسة،
وأن أكون مع طفلي عندما يستعمله في البيت، وأن أعيده في نهاية القسم CM2.
إذا ضاع أو سُرق أو تعطّل، أخبر المدرسة فورا.',
    text_tr = 'Belediye bu bilgisayarı öğrenmesi için çocuğunuza ödünç veriyor. Bilgisayar belediyenin malı olarak kalır.
Bilgisayara iyi bakacağıma, onu şarj edeceğime, her okul günü okula geri getireceğime,
çocuğum evde kullanırken yanında olacağıma ve CM2 sınıfının sonunda geri vereceğime söz veriyorum.
Kaybolursa, çalınırsa veya bozulursa okula hemen haber veririm.',
    text_pt = 'A câmara empresta este computador ao seu filho para aprender. O computador continua a ser da câmara.
Comprometo-me a cuidar dele, a carregá-lo, a trazê-lo para a escola em todos os dias de aulas,
a estar com o meu filho quando ele o usa em casa, e a devolvê-lo no fim do CM2.
Se o computador se perder, for roubado ou avariar, aviso logo a escola.',
    text_uk = 'Місто позичає цей компʼютер вашій дитині для навчання. Компʼютер залишається власністю міста.
Я обіцяю дбати про нього, заряджати його, приносити його до школи кожного навчального дня,
бути поруч із дитиною, коли вона користується ним удома, і повернути його наприкінці CM2.
Якщо компʼютер загубиться, його вкрадуть або він зламається, я одразу повідомлю школу.'
where version = 1;
