Page({ data: { on: true } });
