Page({ data: { message: 'Starts without the main package' } });
